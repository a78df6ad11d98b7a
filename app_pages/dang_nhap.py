"""The /dang-nhap page: the login form for staff and admins, or who is signed in."""

from app_pages import session

if __name__ == "__main__":
    session.guarded(session.login_page)
