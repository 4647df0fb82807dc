"""The back office: the owner's set-up of the shop."""
