"""The addresses a list's filters, sorting and page links point to (rustok.storefront.address_with)."""

from django.test import RequestFactory

from rustok.storefront import address_with


def address(query: str, **changes) -> str:
    return address_with(RequestFactory().get(f"/shop/категория/?{query}"), **changes)


def test_a_change_keeps_the_other_parameters_in_their_order_and_goes_back_to_the_first_page():
    assert address("colour=red&page=3&sort=price", sort="newest") == (
        "/shop/%D0%BA%D0%B0%D1%82%D0%B5%D0%B3%D0%BE%D1%80%D0%B8%D1%8F/?colour=red&sort=newest"
    )


def test_a_list_replaces_a_parameter_none_drops_it_and_a_new_one_comes_last():
    assert address("colour=red&colour=blue&q=x", colour=["blue"]).endswith("?colour=blue&q=x")
    assert address("colour=red&q=x", colour=[]).endswith("?q=x")
    assert address("price_min=5&price_max=9&q=x", price_min=None, price_max=None).endswith("?q=x")
    assert address("q=x", in_stock=1).endswith("?q=x&in_stock=1")


def test_the_page_number_is_kept_only_when_it_is_the_change():
    assert address("q=a b&page=2", page=3).endswith("?q=a+b&page=3")
    assert address("page=2") == "/shop/%D0%BA%D0%B0%D1%82%D0%B5%D0%B3%D0%BE%D1%80%D0%B8%D1%8F/"
