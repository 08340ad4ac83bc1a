from beacon.web import appconfig


class ScreeningConfig(appconfig.ConnectedAppConfig):
    name = "beacon.screening"
    label = "screening"
