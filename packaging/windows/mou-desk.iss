; Inno Setup script: a per-user MoU Desk installer that needs no administrator rights.
;   iscc /DAppVersion=0.1.0 packaging\windows\mou-desk.iss
; Input: build\dist\MoU Desk\ (python packaging\build.py). Output: build\installer\.
; The clerk's data (%LOCALAPPDATA%\MoU Desk: database, backups, log) is never installed,
; replaced or removed by this installer: the app creates it and upgrades it on first start.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "MoU Desk"
#define AppExe "MoU Desk.exe"
#define Root "..\.."

[Setup]
; A fixed AppId: a newer installer recognises and upgrades an older installation.
AppId={{6B0F4C53-2E7A-4B8E-9C1D-4D4F6D6B2A71}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=MoU Desk
VersionInfoVersion={#AppVersion}
; Per user, no elevation; /ALLUSERS is refused rather than asking for admin rights.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile={#Root}\resources\icons\mou-desk.ico
OutputDir={#Root}\build\installer
OutputBaseFilename=mou-desk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; An upgrade closes a running MoU Desk first, so no file is in use.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrades replace the program folder whole: no stale modules from an older version.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Root}\build\dist\MoU Desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. %LOCALAPPDATA%\MoU Desk (database, backups) stays for the clerk.
Type: filesandordirs; Name: "{app}\_internal"
