"""What people look at: templates and static assets for venue displays, public pages and overlays."""
