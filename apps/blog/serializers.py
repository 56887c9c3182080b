"""REST shapes of the blog: posts (content nodes with reading time) and archive months."""

from rest_framework import serializers

from apps.blog.kinds import POST
from apps.content.serializers import KindField, NodeSerializer, NodeWriteSerializer, ReadingSerializer


class PostSerializer(NodeSerializer):
    reading_time = serializers.SerializerMethodField(help_text="Minutes to read, in the text's language.")

    class Meta(NodeSerializer.Meta):
        fields = [*NodeSerializer.Meta.fields, "reading_time"]
        read_only_fields = fields

    def get_reading_time(self, post) -> int:
        return post.reading_time or 1  # stored when the body was written


class PostReadingSerializer(ReadingSerializer):
    """A published post as readers get it, from its document: PostSerializer's fields."""

    def to_representation(self, reading):
        return {**super().to_representation(reading), "reading_time": reading.reading_time}


class MonthSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Published posts in the month.")


class PostWriteSerializer(NodeWriteSerializer):
    """What a writer sends to write a post (create, PUT and PATCH): `kind` may be left out, and
    any kind but `post` is refused (pages are written at /api/v1/content/nodes/)."""

    kind = KindField(only=POST, required=False, help_text="post (the default); no other kind.")
