from beacon.web import appconfig


class LifecycleConfig(appconfig.ConnectedAppConfig):
    name = "beacon.lifecycle"
    label = "lifecycle"
    verbose_name = "Data lifecycle: retention, legal holds, erasure"
