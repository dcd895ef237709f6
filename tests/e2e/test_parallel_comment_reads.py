"""Parallel anonymous reads of one comment thread through the live ASGI server: each page shows every
comment with its own text (a sanitiser shared across request threads mixed them up or raised 500s)."""

import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from discussion.services import comment_post
from tests.factories import ContestFactory, ProposalFactory, UserFactory


def test_twenty_parallel_reads_of_a_twenty_comment_thread_are_all_correct(live_url):
    proposal = ProposalFactory(contest=ContestFactory())
    texts = [f"Remark number {n} about *pipes* and https://example.org/p{n}" for n in range(20)]
    for n, text in enumerate(texts):
        comment_post(author=UserFactory(display_name=f"Writer {n}"), target=proposal, text=text, followup=False)
    url = live_url + proposal.get_absolute_url()

    def read(_):
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own test server
            return response.status, response.read().decode()

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(read, range(40)))
    assert {status for status, _ in results} == {200}
    for _, body in results:
        for n in range(20):
            assert len(re.findall(rf"Remark number {n} about <em>pipes</em>", body)) == 1
