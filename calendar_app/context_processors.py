def crisis(request):
    """The crisis banner's context; filled in by the publishing calendar (crisis pause)."""
    return {}
