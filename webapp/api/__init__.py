"""The JSON API, with the same authorization and suppression as the pages."""
