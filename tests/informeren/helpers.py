from informeren import actions
from informeren.models import Revision, Thema, Topic
from steunpunt.roles import Role
from tests.factories import UserFactory


def published_topic(
    slug: str = "zorgplicht",
    *,
    title: str = "Zorgplicht",
    body: str = "De school zoekt een plek.",
    **content,
) -> Topic:
    author = UserFactory(roles=[Role.REDACTEUR])
    validator = UserFactory(roles=[Role.VALIDATOR])
    content.setdefault("summary", f"Over {title.lower()}.")
    return actions.publish_directly(
        topic_slug=slug,
        author=author,
        validator=validator,
        themes=list(Thema.objects.filter(slug="rechten")),
        title=title,
        national_ouders=body,
        **content,
    )


def draft(topic: Topic, by, **changes) -> Revision:
    revision = actions.start_revision(topic=topic, by=by)
    for name, value in changes.items():
        setattr(revision, name, value)
    revision.save()
    return revision
