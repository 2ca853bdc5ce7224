"""A site's bookable inventory: resources (rooms, places), staff and counselling slots."""
