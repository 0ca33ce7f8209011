#!/usr/bin/env python
"""Same as `.venv/bin/pressbox`; kept for the habits of Django developers."""

from pressbox.cli import main

if __name__ == "__main__":
    main()
