"""Password sign-in without Django's per-user and group permission tables.

Permissions come from roles through the rules (rules.permissions.ObjectPermissionBackend) and
nowhere else, so this backend only checks passwords. (Django's ModelBackend would also answer
permission questions from the auth_permission tables, with a query per check.)
"""

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False
