from beacon.web import appconfig


class AccountsConfig(appconfig.ConnectedAppConfig):
    name = "beacon.accounts"
    label = "accounts"
    verbose_name = "Agencies and people"
