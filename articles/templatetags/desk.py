"""Template tags of the desk's home page, as the stock admin index reads its recent actions (`get_admin_log`)."""

from django import template

from articles.admin.dashboard import build_dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_dashboard(context):
    """Return the dashboard's numbers, charts and queues for the signed-in editor (`articles.admin.dashboard`)."""
    return build_dashboard(context["request"].user)
