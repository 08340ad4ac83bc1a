from beacon.web import appconfig


class CasesConfig(appconfig.ConnectedAppConfig):
    name = "beacon.cases"
    label = "cases"
