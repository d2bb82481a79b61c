"""``{% kept name value ... %}...{% endkept %}``: a fragment each process keeps made.

Like Django's ``{% cache %}``, for what holds nothing of one visitor (the
rule in steunpunt/cache.py): the layout's top and footer, a topic's article.
The fragment is kept per name, per page language and per the values after the
name (which must say everything it shows that differs between pages), until
published content changes (``content_changed()``). Never around a form, a
token, a message or anything of the user.
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from steunpunt.cache import kept_fragment

register = template.Library()


class KeptNode(template.Node):
    # Django looks through every node of a layout on every render for its
    # {% block %}s; a kept fragment holds none (checked when it is parsed), so
    # that walk need not go through the fragment's nodes, most of the layout's.
    child_nodelists = ()

    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: Context) -> SafeString:
        key = (self.name, get_language(), *(value.resolve(context) for value in self.vary_on))
        return kept_fragment(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser: Parser, token: Token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name: {% kept name value ... %}")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% kept %} cannot hold a {% block %}")
    return KeptNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
