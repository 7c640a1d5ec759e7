"""Number and date formats where the hub's readers write them otherwise than Django's
defaults (FORMAT_MODULE_PATH): only the values that differ."""
