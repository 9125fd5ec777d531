"""What a partner pays: its audience's list (a dealer's own tier's list over the general one), only lists valid
on the day, a promotion only while it runs and only when it is lower, the next announced change to those it
affects, and exact Decimal amounts."""

import datetime as dt
from decimal import Decimal

from catalog.models import PriceAudience
from catalog.selectors import ANNOUNCE_DAYS, prices_for
from tests.purchasing.shop import TODAY, dealer_prices, price_list, product


def _gold(org):
    org.tier = "Gold"
    org.save(update_fields=["tier"])
    return org


def test_a_dealer_of_a_tier_with_its_own_list_pays_the_tier_price_others_the_general_one(net):
    # given a general dealer list and a Gold list for the same product
    aircon = product()
    dealer_prices({aircon: "1000000.00"})
    dealer_prices({aircon: "900000.00"}, tier="Gold")
    gold = _gold(net.dealer_a)
    # when each dealer asks for its price, then Gold pays the Gold price and the untiered dealer the general one
    assert prices_for(gold)[aircon.pk].amount == Decimal("900000.00")
    assert prices_for(net.dealer_b)[aircon.pk].amount == Decimal("1000000.00")


def test_the_tier_list_wins_even_when_the_general_list_is_newer(net):
    aircon = product()
    dealer_prices({aircon: "900000.00"}, tier="Gold", valid_from=TODAY() - dt.timedelta(days=90))
    dealer_prices({aircon: "1000000.00"}, valid_from=TODAY() - dt.timedelta(days=1))
    assert prices_for(_gold(net.dealer_a))[aircon.pk].amount == Decimal("900000.00")


def test_another_tiers_list_does_not_apply(net):
    aircon = product()
    dealer_prices({aircon: "1000000.00"})
    dealer_prices({aircon: "800000.00"}, tier="Platinum")
    assert prices_for(_gold(net.dealer_a))[aircon.pk].amount == Decimal("1000000.00")


def test_a_distributor_pays_the_distributor_list(net):
    aircon = product()
    dealer_prices({aircon: "1000000.00"})
    price_list(PriceAudience.DISTRIBUTOR, {aircon: "700000.00"})
    price = prices_for(net.seoul_distributor)[aircon.pk]
    assert price.amount == Decimal("700000.00") and price.regular == Decimal("700000.00")
    assert prices_for(net.dealer_a)[aircon.pk].amount == Decimal("1000000.00")


def test_lists_outside_their_dates_are_ignored(net):
    aircon = product()
    today = TODAY()
    dealer_prices({aircon: "1000000.00"}, valid_from=today - dt.timedelta(days=100))
    dealer_prices({aircon: "500000.00"}, valid_from=today - dt.timedelta(days=50),
                  valid_until=today - dt.timedelta(days=1))  # expired yesterday
    dealer_prices({aircon: "1100000.00"}, valid_from=today + dt.timedelta(days=1))  # starts tomorrow
    assert prices_for(net.dealer_a, day=today)[aircon.pk].amount == Decimal("1000000.00")
    # on a day inside the expired list's period, it was the newest valid list; from tomorrow the new one
    assert prices_for(net.dealer_a, day=today - dt.timedelta(days=1))[aircon.pk].amount == Decimal("500000.00")
    assert prices_for(net.dealer_a, day=today + dt.timedelta(days=1))[aircon.pk].amount == Decimal("1100000.00")


def test_a_list_valid_until_today_still_applies_today(net):
    aircon = product()
    today = TODAY()
    dealer_prices({aircon: "1000000.00"}, valid_from=today - dt.timedelta(days=100))
    dealer_prices({aircon: "950000.00"}, valid_from=today - dt.timedelta(days=10), valid_until=today)
    assert prices_for(net.dealer_a, day=today)[aircon.pk].amount == Decimal("950000.00")
    assert prices_for(net.dealer_a, day=today + dt.timedelta(days=1))[aircon.pk].amount == Decimal("1000000.00")


def test_a_promotion_lowers_the_price_only_while_it_runs(net):
    aircon = product()
    today = TODAY()
    dealer_prices({aircon: "1000000.00"}, valid_from=today - dt.timedelta(days=100))
    dealer_prices({aircon: "850000.00"}, promotion=True, campaign="여름 특가", valid_from=today - dt.timedelta(days=5),
                  valid_until=today + dt.timedelta(days=5))
    during = prices_for(net.dealer_a, day=today)[aircon.pk]
    assert (during.amount, during.regular, during.promotion) == (Decimal("850000.00"), Decimal("1000000.00"), True)
    assert during.campaign == "여름 특가" and during.promotion_until == today + dt.timedelta(days=5)
    for day in (today - dt.timedelta(days=6), today + dt.timedelta(days=6)):
        outside = prices_for(net.dealer_a, day=day)[aircon.pk]
        assert (outside.amount, outside.promotion, outside.campaign, outside.promotion_until) == (
            Decimal("1000000.00"), False, "", None)


def test_a_promotion_higher_than_the_regular_price_is_ignored(net):
    aircon = product()
    dealer_prices({aircon: "1000000.00"})
    dealer_prices({aircon: "1200000.00"}, promotion=True, campaign="잘못된 특가")
    price = prices_for(net.dealer_a)[aircon.pk]
    assert (price.amount, price.promotion, price.campaign) == (Decimal("1000000.00"), False, "")


def test_of_two_running_promotions_the_lower_applies(net):
    aircon = product()
    dealer_prices({aircon: "1000000.00"})
    dealer_prices({aircon: "900000.00"}, promotion=True, campaign="A")
    dealer_prices({aircon: "880000.00"}, promotion=True, campaign="B")
    price = prices_for(net.dealer_a)[aircon.pk]
    assert (price.amount, price.campaign) == (Decimal("880000.00"), "B")


def test_an_announced_list_shows_as_the_next_price_within_the_announcement_window(net):
    soon, later, same = product(), product(), product()
    today = TODAY()
    dealer_prices({soon: "1000000.00", later: "1000000.00", same: "500000.00"})
    dealer_prices({soon: "1050000.00", same: "500000.00"}, valid_from=today + dt.timedelta(days=ANNOUNCE_DAYS))
    dealer_prices({later: "1050000.00"}, valid_from=today + dt.timedelta(days=ANNOUNCE_DAYS + 1))
    prices = prices_for(net.dealer_a, day=today)
    assert prices[soon.pk].amount == Decimal("1000000.00")  # still today's price
    assert (prices[soon.pk].next_amount, prices[soon.pk].next_from) == (
        Decimal("1050000.00"), today + dt.timedelta(days=ANNOUNCE_DAYS))
    assert (prices[later.pk].next_amount, prices[later.pk].next_from) == (None, None)  # not announced yet
    assert (prices[same.pk].next_amount, prices[same.pk].next_from) == (None, None)  # no change to announce


def test_an_announced_list_shows_only_to_the_audience_it_affects(net):
    # given a Gold list in force, and a new general dealer list and a new distributor list announced
    aircon = product()
    today = TODAY()
    starts = today + dt.timedelta(days=20)
    dealer_prices({aircon: "1000000.00"})
    dealer_prices({aircon: "900000.00"}, tier="Gold")
    dealer_prices({aircon: "1100000.00"}, valid_from=starts)
    price_list(PriceAudience.DISTRIBUTOR, {aircon: "700000.00"})
    price_list(PriceAudience.DISTRIBUTOR, {aircon: "650000.00"}, valid_from=starts)
    gold = _gold(net.dealer_a)
    # then the untiered dealer sees the general change, the distributor its own change
    general = prices_for(net.dealer_b, day=today)[aircon.pk]
    assert (general.next_amount, general.next_from) == (Decimal("1100000.00"), starts)
    distributor = prices_for(net.seoul_distributor, day=today)[aircon.pk]
    assert (distributor.next_amount, distributor.next_from) == (Decimal("650000.00"), starts)
    # and the Gold dealer, whose own list keeps winning on that day, is told of no change
    assert prices_for(gold, day=starts)[aircon.pk].amount == Decimal("900000.00")
    mine = prices_for(gold, day=today)[aircon.pk]
    assert (mine.amount, mine.next_amount, mine.next_from) == (Decimal("900000.00"), None, None)
    # a new Gold list announced is shown to Gold only
    dealer_prices({aircon: "950000.00"}, tier="Gold", valid_from=starts)
    mine = prices_for(gold, day=today)[aircon.pk]
    assert (mine.next_amount, mine.next_from) == (Decimal("950000.00"), starts)
    assert prices_for(net.dealer_b, day=today)[aircon.pk].next_amount == Decimal("1100000.00")


def test_a_tier_whose_own_list_ends_is_told_of_the_general_list_that_follows(net):
    aircon = product()
    today = TODAY()
    starts = today + dt.timedelta(days=20)
    dealer_prices({aircon: "1000000.00"})
    dealer_prices({aircon: "900000.00"}, tier="Gold", valid_until=starts - dt.timedelta(days=1))
    dealer_prices({aircon: "1100000.00"}, valid_from=starts)
    mine = prices_for(_gold(net.dealer_a), day=today)[aircon.pk]
    assert (mine.amount, mine.next_amount, mine.next_from) == (Decimal("900000.00"), Decimal("1100000.00"), starts)


def test_a_product_only_announced_is_not_orderable_yet(net):
    coming = product()
    dealer_prices({coming: "1000000.00"}, valid_from=TODAY() + dt.timedelta(days=10))
    assert coming.pk not in prices_for(net.dealer_a)


def test_a_product_without_a_price_is_missing_from_the_result(net):
    priced, unpriced = product(), product()
    dealer_prices({priced: "1000.00"})
    assert set(prices_for(net.dealer_a)) >= {priced.pk}
    assert unpriced.pk not in prices_for(net.dealer_a)
    assert prices_for(net.dealer_a, [unpriced.pk]) == {}
    assert set(prices_for(net.dealer_a, [priced.pk, unpriced.pk])) == {priced.pk}


def test_hq_has_no_partner_price(net):
    aircon = product()
    dealer_prices({aircon: "1000.00"})
    assert prices_for(net.hq) == {}


def test_amounts_are_exact_decimals(net):
    big, cents = product(), product()
    dealer_prices({big: "1234567.89", cents: "0.10"})
    dealer_prices({cents: "0.07"}, promotion=True)
    prices = prices_for(net.dealer_a, [big.pk, cents.pk])
    assert isinstance(prices[big.pk].amount, Decimal)
    assert prices[big.pk].amount == Decimal("1234567.89") and str(prices[big.pk].amount) == "1234567.89"
    assert prices[cents.pk].amount == Decimal("0.07") and prices[cents.pk].regular == Decimal("0.10")
    assert prices[big.pk].amount * 3 == Decimal("3703703.67")
