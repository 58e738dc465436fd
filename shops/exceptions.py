from marketplace.exceptions import ApplicationError, ConflictError, NotFoundError


class ShopAlreadyOpen(ConflictError):
    default_code = "shop_already_open"


class ShopNotActive(ConflictError):
    default_code = "shop_not_active"


class ShopRequired(NotFoundError):
    default_code = "shop_required"


class ListingNotEditable(ConflictError):
    default_code = "listing_not_editable"


class TooManyImages(ApplicationError):
    default_code = "too_many_images"


class OutOfStock(ConflictError):
    default_code = "out_of_stock"
