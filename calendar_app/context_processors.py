from .models import CrisisPause


def crisis(request):
    """The crisis banner on every page: the workspace's open pause, if any."""
    workspace = getattr(request, "workspace", None)
    if workspace is None:
        return {}
    return {
        "crisis_pause": lambda: CrisisPause.objects.filter(workspace=workspace, ended_at__isnull=True).first(),
    }
