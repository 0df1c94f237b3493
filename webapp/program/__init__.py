"""The program year: an organization's engagement with CfJJ, from the baseline to the 12-month review."""
