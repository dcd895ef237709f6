import pytest
from django_comments_xtd.models import XtdComment

from discussion.services import comment_post
from tests.factories import ContestFactory, ProposalFactory


@pytest.fixture
def contest(agency):
    return ContestFactory(agency=agency, slug="clean-rivers", voting=True)


@pytest.fixture
def proposal(contest, citizen):
    return ProposalFactory(contest=contest, author=citizen, title="Plant willows")


@pytest.fixture
def make_comment():
    def make(*, author, target, text="A useful remark.") -> XtdComment:
        return comment_post(author=author, target=target, text=text)

    return make
