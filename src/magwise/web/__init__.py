"""The web face of magwise: a REST API and server-rendered pages over the library.

``create_app(settings)`` builds the application; ``magwise serve`` runs it.
"""

from magwise.web.app import create_app
from magwise.web.settings import Settings

__all__ = ["Settings", "create_app"]
