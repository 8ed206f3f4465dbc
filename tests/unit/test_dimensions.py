from sse_academy_xblock import dimensions


def test_the_four_decent_work_dimensions_in_order():
    assert dimensions.DIMENSION_IDS == ("employment", "social_protection", "social_dialogue", "rights_at_work")


def test_unknown_dimension_is_rejected():
    assert not dimensions.is_dimension("labour")
    assert not dimensions.is_dimension(None)
    assert dimensions.is_dimension("social_dialogue")


def test_choices_are_translated_with_the_given_gettext():
    labels = [c["display_name"] for c in dimensions.choices(gettext=str.upper)]
    assert labels == ["EMPLOYMENT", "SOCIAL PROTECTION", "SOCIAL DIALOGUE", "RIGHTS AT WORK"]
