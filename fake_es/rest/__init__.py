"""The HTTP layer every request crosses, whatever API it is for."""
