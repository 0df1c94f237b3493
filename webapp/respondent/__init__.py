"""The respondent blueprint: the public, anonymous survey."""
