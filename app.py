"""The dashboard's router: the pages of ui/registry.py in st.navigation; each lives in pages/."""

from ui import router

router.configure_page()
router.run()
