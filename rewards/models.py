"""Models arrive with the issue that builds this part (see the README roadmap)."""
