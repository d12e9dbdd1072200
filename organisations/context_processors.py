from .models import Organisation


def tenant(request):
    """The organisation of the current page and the user's organisations for the switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = getattr(request, "access", None)
    context = {
        "access": access,
        # Lazy: evaluated once, by the navigation, only on pages that render it.
        "my_organisations": Organisation.objects.filter(memberships__user=user).distinct().order_by("short_name"),
    }
    if access is not None:
        # Error pages (403) keep the organisation's navigation; views set it themselves too.
        context["organisation"] = access.organisation
    return context
