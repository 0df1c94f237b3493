"""The admin blueprint: CfJJ staff set up instruments, organizations, waves and users."""
