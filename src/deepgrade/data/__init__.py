"""Data sets the homeworks read from local files (never downloaded)."""
