Unicode true

####
## The Windows installer of the clientportal control panel (customised from Wails v2.13.0's template; see the
## README's "Building the installers"). Build it with
##   wails build -platform windows/amd64 -nsis -s -skipbindings -m -nosyncgomod
## which renders "wails_tools.nsh" beside this file from wails.json (name, company, product name and version: the
## INFO_* defines) and calls makensis. Do not define INFO_* here: wails.json is where the version is kept.
##
## What it installs: clientportal.exe (the control panel; the same binary is the portal service), shortcuts in
## the Start menu and on the desktop, and the WebView2 runtime when Windows lacks it. It does not install the
## portal service: on the office server, the control panel's first-run wizard does that (it asks for the data
## folder). Upgrading stops the service while its program is replaced when it runs from this folder, and starts
## it again; uninstalling removes the service only when it runs from this folder (its data, logs and office key
## stay).
####
!include "wails_tools.nsh"

# The version information for this two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

!include "MUI.nsh"
!include "LogicLib.nsh"
!include "StrFunc.nsh"
${StrStr}
${UnStrStr}

# The portal service's name in the service manager (installer.ServiceName).
!define SERVICE_NAME "clientportal"
# Where Windows keeps the command line of that service.
!define SERVICE_KEY "SYSTEM\CurrentControlSet\Services\${SERVICE_NAME}"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
# !define MUI_WELCOMEFINISHPAGE_BITMAP "resources\leftimage.bmp" #Include this to add a bitmap on the left side of the Welcome Page. Must be a size of 164x314
!define MUI_FINISHPAGE_NOAUTOCLOSE # Wait on the INSTFILES page so the user can take a look into the details of the installation steps
!define MUI_ABORTWARNING # This will warn the user if they exit from the installer.
!define MUI_WELCOMEPAGE_TITLE "${INFO_PRODUCTNAME} ${INFO_PRODUCTVERSION}"
!define MUI_WELCOMEPAGE_TEXT "This installs the clientportal control panel, from which the office runs its client portal.$\r$\n$\r$\nOn the office server: open the control panel once it is installed; its first-run wizard installs and starts the portal service.$\r$\n$\r$\nOn a staff member's PC: open it and connect to the office server's address.$\r$\n$\r$\nClick Next to continue."

!insertmacro MUI_PAGE_WELCOME # Welcome to the installer page.
# !insertmacro MUI_PAGE_LICENSE "resources\eula.txt" # Adds a EULA page to the installer
!insertmacro MUI_PAGE_DIRECTORY # In which folder install page.
!insertmacro MUI_PAGE_INSTFILES # Installing page.
!insertmacro MUI_PAGE_FINISH # Finished installation page.

!insertmacro MUI_UNPAGE_INSTFILES # Uinstalling page

!insertmacro MUI_LANGUAGE "English" # Set the Language of the installer

## Signing: with the office's code-signing certificate, uncomment these (osslsigncode runs on Linux; %1 is the
## file makensis wrote), or sign the finished installer afterwards as the README shows.
#!uninstfinalize 'osslsigncode sign -pkcs12 office.pfx -readpass office.pass -n "${INFO_PRODUCTNAME}" -in "%1" -out "%1.signed" && mv "%1.signed" "%1"'
#!finalize 'osslsigncode sign -pkcs12 office.pfx -readpass office.pass -n "${INFO_PRODUCTNAME}" -in "%1" -out "%1.signed" && mv "%1.signed" "%1"'

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe" # Name of the installer's file.
!ifdef WAILS_INSTALL_SCOPE
  !if "${WAILS_INSTALL_SCOPE}" == "user"
    InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
  !else
    InstallDir "$PROGRAMFILES64\${INFO_COMPANYNAME}\${INFO_PRODUCTNAME}"
  !endif
!else
  InstallDir "$PROGRAMFILES64\${INFO_COMPANYNAME}\${INFO_PRODUCTNAME}"
!endif # Default installing folder ($PROGRAMFILES is Program Files folder).
ShowInstDetails show # This will always show the installation details.

Function .onInit
   !insertmacro wails.checkArchitecture
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    # An upgrade on the office server: the service runs the program about to
    # be replaced, which Windows keeps locked while it runs.
    StrCpy $R9 ""
    ReadRegStr $0 HKLM "${SERVICE_KEY}" "ImagePath"
    ${StrStr} $1 $0 "$INSTDIR\${PRODUCT_EXECUTABLE}"
    ${If} $0 != ""
    ${AndIf} $1 != ""
        DetailPrint "Stopping the portal service while its program is replaced"
        nsExec::ExecToLog '"$INSTDIR\${PRODUCT_EXECUTABLE}" service stop'
        Pop $2
        StrCpy $R9 "restart"
    ${EndIf}

    !insertmacro wails.files

    ${If} $R9 == "restart"
        DetailPrint "Starting the portal service again"
        nsExec::ExecToLog '"$INSTDIR\${PRODUCT_EXECUTABLE}" service start'
        Pop $2
        ${If} $2 != "0"
            MessageBox MB_ICONEXCLAMATION|MB_OK "The portal service did not start again (exit code $2). Open the control panel on this server to see why and start it."
        ${EndIf}
    ${EndIf}

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    CreateShortCut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    !insertmacro wails.associateFiles
    !insertmacro wails.associateCustomProtocols

    !insertmacro wails.writeUninstaller
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    # The portal service, when it runs this folder's program, goes with it;
    # its data folder, logs and office key stay.
    ReadRegStr $0 HKLM "${SERVICE_KEY}" "ImagePath"
    ${UnStrStr} $1 $0 "$INSTDIR\${PRODUCT_EXECUTABLE}"
    ${If} $0 != ""
    ${AndIf} $1 != ""
        DetailPrint "Removing the portal service (its data folder, logs and office key are kept)"
        nsExec::ExecToLog '"$INSTDIR\${PRODUCT_EXECUTABLE}" service uninstall'
        Pop $2
    ${EndIf}

    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}" # Remove the WebView2 DataPath

    RMDir /r $INSTDIR

    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"

    !insertmacro wails.unassociateFiles
    !insertmacro wails.unassociateCustomProtocols

    !insertmacro wails.deleteUninstaller
SectionEnd
