"""The sanitiser is safe to call from many threads at once (every ASGI request runs in its own thread)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from common.sanitize import render_markdown, sanitize_html

THREADS = 32
RENDERS = 40  # a Cleaner shared by the threads garbles 10–15 % of these (checked when this was lowered from 200)


def _text(thread: int, index: int) -> str:
    return (
        f"Comment **{thread}-{index}** about [the park {index}](https://example.org/{thread}/{index}) "
        f"and www.site{thread}x{index}.example <script>alert({index})</script>\n\n"
        f"- item {thread}\n- item {index}\n\n`code {thread}` <b onclick='x()'>bold {index}</b>"
    )


def test_thirty_two_threads_render_exactly_what_one_thread_renders():
    texts = [[_text(t, i) for i in range(RENDERS)] for t in range(THREADS)]
    expected = [[render_markdown(text) for text in row] for row in texts]
    start = threading.Barrier(THREADS)

    def worker(thread: int) -> list[str]:
        start.wait()
        out = []
        for text in texts[thread]:
            try:
                out.append(str(render_markdown(text)))
            except Exception as error:  # a shared Cleaner raises from inside html5lib
                out.append(f"error: {error!r}")
        return out

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))
    mismatches = sum(
        got != want
        for row, want_row in zip(results, expected, strict=True)
        for got, want in zip(row, want_row, strict=True)
    )
    assert mismatches == 0, f"{mismatches} of {THREADS * RENDERS} renders differ from the single-threaded output"


def test_sanitize_html_keeps_its_allow_list_in_every_thread():
    html = '<p>ok <a href="javascript:alert(1)">x</a> <a href="https://example.org">y</a></p>'

    def worker(_):
        return str(sanitize_html(html))

    with ThreadPoolExecutor(8) as pool:
        outputs = set(pool.map(worker, range(200)))
    assert outputs == {str(sanitize_html(html))}
    assert "javascript" not in outputs.pop()
