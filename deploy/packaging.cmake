# Install layout and the Debian package. Included by the top-level
# CMakeLists.txt; `cmake --install` and `cpack` both use these rules.

# The units start /usr/bin/blink-sync, so `cmake --install` defaults to the
# /usr prefix that the package uses too.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX "/usr" CACHE PATH "Install prefix" FORCE)
endif()
include(GNUInstallDirs)

# Absolute paths, as Debian 12 expects them; change them for another layout.
set(BLINK_SYNC_UNIT_DIR "/lib/systemd/system" CACHE PATH "Where the systemd units are installed")
set(BLINK_SYNC_CONFIG_DIR "/etc/blink-sync" CACHE PATH "Where the configuration is installed")
set(BLINK_SYNC_LOGROTATE_DIR "/etc/logrotate.d" CACHE PATH "Where the logrotate rule is installed")

# The installed configuration is the example with the two settings the
# units expect: the token as the systemd credential "token", and log
# rotation left to logrotate.
file(READ "${PROJECT_SOURCE_DIR}/config.example.yaml" packaged_config)
string(REPLACE "  token_credential: null" "  token_credential: token" packaged_config "${packaged_config}")
string(REPLACE "  rotation: size" "  rotation: external" packaged_config "${packaged_config}")
file(WRITE "${PROJECT_BINARY_DIR}/packaged/config.yaml" "${packaged_config}")

install(TARGETS blink-sync RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY migrations/ DESTINATION ${CMAKE_INSTALL_DATADIR}/blink-sync/migrations)
install(FILES deploy/blink-sync.service deploy/blink-sync@.service DESTINATION ${BLINK_SYNC_UNIT_DIR})
install(FILES "${PROJECT_BINARY_DIR}/packaged/config.yaml" DESTINATION ${BLINK_SYNC_CONFIG_DIR}
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES deploy/logrotate DESTINATION ${BLINK_SYNC_LOGROTATE_DIR} RENAME blink-sync)
install(FILES README.md config.example.yaml docs/roster-queries.md docs/reports.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "blink-sync")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Keeps a PostgreSQL roster and a Blink Lesson organisation in agreement")
set(CPACK_PACKAGE_CONTACT "blink-sync maintainers <root@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
# dpkg-shlibdeps turns the linked libraries into package dependencies:
# libpqxx-6.4, libspdlog1.10, libyaml-cpp0.7, libsystemd0, libssl3,
# libboost-url1.81.0, libdate-tz3, libutf8proc2 and the C/C++ runtime.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, systemd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "logrotate")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/deploy/debian/postinst;${PROJECT_SOURCE_DIR}/deploy/debian/prerm;${PROJECT_SOURCE_DIR}/deploy/debian/postrm;${PROJECT_SOURCE_DIR}/deploy/debian/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# A Debug build carries about 50 MB of debug information; the package does not.
set(CPACK_STRIP_FILES ON)
include(CPack)
