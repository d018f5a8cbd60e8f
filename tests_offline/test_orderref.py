from lib.orderref import MAX_CANDIDATES, order_ref_candidates


def test_order_name_and_customer_reference():
    found = order_ref_candidates(
        "Đơn S00042 chưa giao", "<p>Mã của tôi: PO-2026/17.</p>"
    )
    assert "S00042" in found
    assert "PO-2026/17" in found


def test_lower_case_is_upper_cased_too():
    assert order_ref_candidates("đơn s00042") == ["s00042", "S00042"]


def test_words_without_digit_are_ignored():
    assert order_ref_candidates("Xin chào, hàng chưa tới &nbsp; <b>gấp</b>") == []


def test_short_numbers_ignored_long_numbers_after_mixed_words():
    found = order_ref_candidates("3 cái, mã 889123, đơn S7")
    assert found == ["S7", "889123"]


def test_bounded():
    text = " ".join(f"X{i}" for i in range(500))
    assert len(order_ref_candidates(text)) <= MAX_CANDIDATES * 2


def test_html_tags_do_not_glue_words():
    assert "S00042" in order_ref_candidates("<div>S00042</div><br/>")
