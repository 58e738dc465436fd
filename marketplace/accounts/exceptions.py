from marketplace.exceptions import ApplicationError


class InvalidCredentials(ApplicationError):
    default_code = "invalid_credentials"
