"""The dashboard blueprint: leadership sees aggregated results of its own organization."""
