"""Qt widgets: gestures in, core operations out. No business logic here."""
