"""The thin Alexa layer: requests in, calls on the Dialog, responses out."""
