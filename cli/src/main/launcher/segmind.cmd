@echo off
rem segmind: the segmindkit command-line tool, a launcher for segmind.jar on Windows.
rem The jar: %SEGMIND_JAR% if set, else segmind.jar next to this file, else
rem ..\share\segmindkit\segmind.jar. Java: %JAVA_HOME%\bin\java.exe if JAVA_HOME is set, else java
rem on the PATH (Java 17 or newer). %JAVA_OPTS%, if set, is passed to java before the jar.
setlocal
set "SEGMIND_LAUNCH_JAR=%SEGMIND_JAR%"
if not defined SEGMIND_LAUNCH_JAR set "SEGMIND_LAUNCH_JAR=%~dp0segmind.jar"
if not exist "%SEGMIND_LAUNCH_JAR%" if not defined SEGMIND_JAR set "SEGMIND_LAUNCH_JAR=%~dp0..\share\segmindkit\segmind.jar"
if not exist "%SEGMIND_LAUNCH_JAR%" (
    echo segmind: segmind.jar not found next to %~dp0; set SEGMIND_JAR to its path 1>&2
    exit /b 1
)
set "SEGMIND_LAUNCH_JAVA=java"
if defined JAVA_HOME set "SEGMIND_LAUNCH_JAVA=%JAVA_HOME%\bin\java.exe"
"%SEGMIND_LAUNCH_JAVA%" %JAVA_OPTS% -jar "%SEGMIND_LAUNCH_JAR%" %*
exit /b %ERRORLEVEL%
