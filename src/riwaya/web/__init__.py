"""The workspace web app (``riwaya serve``): FastAPI, server-rendered templates, no JavaScript."""
