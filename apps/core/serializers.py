"""What a tenant's API says about the site it serves."""

from rest_framework import serializers

from apps.core.models import Tenant


class SiteSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="schema_name", read_only=True)
    modules = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = ["slug", "name", "default_language", "default_currency", "modules"]
        read_only_fields = fields

    def get_modules(self, tenant) -> list[str]:
        from apps.core.selectors import enabled_modules

        return sorted(enabled_modules(tenant))
