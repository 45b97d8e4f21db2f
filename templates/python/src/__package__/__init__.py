"""Lambda handlers of this project; each module in `handlers` is one function of spec3.config.json."""
