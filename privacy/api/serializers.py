"""Privacy API representations: retention settings, access records, support grants."""

from __future__ import annotations

from rest_framework import serializers

from ..models import MediaAccess, PhotoRetention, SupportGrant


class PolicySerializer(serializers.Serializer):
    policy = serializers.ChoiceField(choices=PhotoRetention.choices)
    days = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()


class EffectivePolicySerializer(PolicySerializer):
    source = serializers.ChoiceField(choices=["you", "site"], help_text="Your own choice, or the site's default")


class StorageFactsSerializer(serializers.Serializer):
    files = serializers.IntegerField(help_text="Stored images (photos, overlays, aligned comparisons)")
    bytes = serializers.IntegerField()
    analyses = serializers.IntegerField()
    photo_free = serializers.IntegerField(help_text="Analyses uploaded photo-free")
    photos_deleted = serializers.IntegerField(help_text="Analyses whose photo was deleted (results kept)")
    where = serializers.CharField()
    encryption = serializers.CharField()


class PrivacySettingsSerializer(serializers.Serializer):
    photo_retention = serializers.ChoiceField(
        choices=PhotoRetention.choices,
        allow_blank=True,
        help_text='keep, days (with retention_days), after_analysis, or "" for the site\'s default',
    )
    retention_days = serializers.IntegerField(allow_null=True, required=False, min_value=1, max_value=3650)
    effective = EffectivePolicySerializer(read_only=True)
    site_default = PolicySerializer(read_only=True)
    storage = StorageFactsSerializer(read_only=True)


class MediaAccessSerializer(serializers.ModelSerializer):
    viewer = serializers.CharField(source="viewer_words", help_text="Who, in words, in the language of the request")

    class Meta:
        model = MediaAccess
        fields = ["id", "created_at", "media_kind", "media_created_at", "viewer_kind", "viewer", "via", "ref"]
        read_only_fields = fields


class SupportGrantSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=["pending", "approved", "expired", "denied", "revoked"], help_text="approved and unexpired: active"
    )

    class Meta:
        model = SupportGrant
        fields = [
            "id",
            "staff_email",
            "reason",
            "hours",
            "state",
            "created_at",
            "decided_at",
            "expires_at",
            "revoked_at",
        ]
        read_only_fields = fields


class PhotosDeletedSerializer(serializers.Serializer):
    deleted = serializers.IntegerField(help_text="Photos deleted (their analyses' results are kept)")
