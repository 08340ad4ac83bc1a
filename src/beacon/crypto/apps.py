from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "beacon.crypto"
    label = "crypto"
    verbose_name = "Field encryption"
