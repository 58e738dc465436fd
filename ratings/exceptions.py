from marketplace.exceptions import ConflictError


class NotRateable(ConflictError):
    default_code = "order_not_rateable"


class RatingWindowClosed(ConflictError):
    default_code = "rating_window_closed"


class AlreadyRated(ConflictError):
    default_code = "already_rated"
