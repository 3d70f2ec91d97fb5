import pytest


def add(a, b):
    return a + b


def test_add():
    assert add(1, 2) == 3


def test_add_wrong():
    assert add(2, 2) == 5


def helper(x):
    raise ValueError("bad value %r" % x)


def test_helper_error():
    helper(7)


@pytest.mark.skip(reason="not ready")
def test_skipped():
    pass
