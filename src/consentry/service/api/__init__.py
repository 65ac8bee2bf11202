"""The JSON API, ``/api/v1``: one router module per noun, each calling the actions."""
