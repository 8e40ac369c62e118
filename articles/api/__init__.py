"""The REST API (`/api/v1/`): the HTTP face of the articles app, one module per role."""
