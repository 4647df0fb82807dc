"""Small widgets shared by the areas."""
