from beacon.web import appconfig


class InsightsConfig(appconfig.ConnectedAppConfig):
    name = "beacon.insights"
    label = "insights"
