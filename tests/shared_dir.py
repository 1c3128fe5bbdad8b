"""Where the team's shared material (official specs, public test vectors) lives: `shared/` beside the clone.

CI lays a copy of it next to its fresh clone, so the path is found relative to this repository, never as an
absolute path of one machine.
"""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
SPECS = SHARED / "specs"
FIXTURES = SHARED / "fixtures"
